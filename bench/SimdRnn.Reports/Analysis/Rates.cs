// Rates from a mean time: work per operation over seconds per operation. Every rate of the
// report is computed here from the parsed Mean, never read from BenchmarkDotNet's formatted columns.
namespace SimdRnn.Reports.Analysis;

/// <summary>Rates and ratios of mean times; null wherever a time is missing.</summary>
public static class Rates
{
    /// <summary>GFLOP/s: <paramref name="flops"/> / <paramref name="seconds"/> / 10⁹.</summary>
    public static double? Gflops(double flops, double? seconds) => PerSecond(flops, seconds) / 1e9;

    /// <summary><paramref name="count"/> / <paramref name="seconds"/>, e.g. tokens per second.</summary>
    public static double? PerSecond(double count, double? seconds) => seconds is > 0 ? count / seconds : null;

    /// <summary>How many times faster the second time is: <paramref name="slowSeconds"/> / <paramref name="fastSeconds"/>.</summary>
    public static double? Speedup(double? slowSeconds, double? fastSeconds)
        => slowSeconds is double slow && fastSeconds is > 0 ? slow / fastSeconds : null;
}
