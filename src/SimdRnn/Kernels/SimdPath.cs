using System.Runtime.Intrinsics;

namespace SimdRnn.Kernels;

/// <summary>Which vector width the kernels run at in this process.</summary>
public static class SimdPath
{
    /// <summary>"Vector512", "Vector256" or "Scalar": the widest width the runtime accelerates,
    /// which the <c>DOTNET_EnableAVX512</c>, <c>DOTNET_EnableAVX2</c> and
    /// <c>DOTNET_EnableHWIntrinsic</c> settings lower.</summary>
    public static string Name =>
        Vector512.IsHardwareAccelerated ? "Vector512" :
        Vector256.IsHardwareAccelerated ? "Vector256" : "Scalar";
}
