// A GEMM case as the benchmarks name it: "MxNxK" and the transposes of A and B, e.g.
// "32x2048x512 NT" is C (32, 2048) = A (32, 512) · Bᵀ with B stored (2048, 512).
using System.Globalization;

namespace SimdRnn.Reports.Analysis;

/// <summary>C (M, N) = op(A) (M, K) · op(B) (K, N); <paramref name="Transposes"/> is N or T for A then B.</summary>
public sealed record GemmShape(int M, int N, int K, string Transposes)
{
    /// <summary>The FLOPs of one product: 2·M·N·K (a multiply and an add per term).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Reads "MxNxK" optionally followed by a space and the transposes ("NN", "NT", "TN").</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static GemmShape Parse(string text)
    {
        string[] words = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] sizes = words.Length is 1 or 2 ? words[0].Split('x') : [];
        if (sizes.Length != 3 || !sizes.All(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new FormatException($"'{text}' is not a GEMM shape such as '512x512x512 NN'.");
        int Size(int i) => int.Parse(sizes[i], CultureInfo.InvariantCulture);
        return new GemmShape(Size(0), Size(1), Size(2), words.Length == 2 ? words[1] : "");
    }

    /// <summary>Whether the sizes are (<paramref name="m"/>, <paramref name="n"/>, <paramref name="k"/>), whatever the transposes.</summary>
    public bool Is(int m, int n, int k) => M == m && N == n && K == k;

    /// <summary>"MxNxK" and the transposes, as the benchmarks write it.</summary>
    public override string ToString() => $"{M}x{N}x{K} {Transposes}".TrimEnd();
}
