using System;
using System.Runtime.InteropServices;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// The process's CPU time (<c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>, nanosecond resolution) on Linux: unlike wall
/// time it does not count the stretches in which other processes had the cores, which on a loaded 2-core machine are
/// most of the noise. It still counts the process's own garbage collections, which are part of a call's cost.
/// </summary>
internal static class ProcessCpuTime
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>Gets whether <see cref="Now"/> can be read here (Linux only).</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux();

    /// <summary>The process's CPU time so far, in microseconds.</summary>
    public static double Now()
    {
        if (clock_gettime(ClockProcessCpuTimeId, out Timespec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed.");
        }

        return now.Seconds * 1e6 + now.Nanoseconds / 1e3;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int clock_gettime(int clockId, out Timespec time);
}
