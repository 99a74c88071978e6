#if !NET9_0_OR_GREATER
namespace Iamport.Danal.Testing;

/// <summary>Before .NET 9 a gate is a plain object: <c>lock</c> on it takes its monitor.</summary>
internal sealed class Lock;
#endif
