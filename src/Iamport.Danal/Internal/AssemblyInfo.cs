using System.Runtime.CompilerServices;

// The benchmarks measure the token cache's hit path directly (tests/Iamport.Danal.Benchmarks).
[assembly: InternalsVisibleTo("Iamport.Danal.Benchmarks")]
