using FsCheck;
using FsCheck.Fluent;
using SimdRnn.Reference;
using Xunit.Sdk;

namespace SimdRnn.Tests.Reference;

/// <summary>
/// A small random sequence model and batch: L layers, B sequences of at most T steps, hidden H,
/// input size I (Dense) or vocabulary C (OneHot, Embedding), embedding width E, outputs O.
/// Cell and head are chosen by the test; everything else comes from the case and its seed.
/// </summary>
public sealed record SequenceCase(ReferenceInput Input, int Layers, bool Bias, int B, int T, int H,
                                  int InputSize, int EmbeddingSize, int OutputSize, bool WithH0, bool WithC0, int Seed);

/// <summary>Generators of the reference tests: sizes small enough for a five-point check of every entry.</summary>
public static class SequenceGenerators
{
    public static Arbitrary<SequenceCase> SequenceCases() =>
        (from input in Gen.Elements(ReferenceInput.Dense, ReferenceInput.OneHot, ReferenceInput.Embedding)
         from layers in Gen.Choose(1, 3)
         from bias in Gen.Elements(true, false)
         from b in Gen.Choose(1, 4)
         from t in Gen.Choose(1, 6)
         from h in Gen.Choose(1, 6)
         from i in Gen.Choose(1, 6)
         from e in Gen.Choose(1, 4)
         from o in Gen.Choose(1, 5)
         from withH0 in Gen.Elements(true, false)
         from withC0 in Gen.Elements(true, false)
         from seed in Gen.Choose(0, int.MaxValue)
         select new SequenceCase(input, layers, bias, b, t, h, i, e, o, withH0, withC0, seed)).ToArbitrary();
}

/// <summary>Random models and batches for a <see cref="SequenceCase"/>, and comparisons.</summary>
public static class SequenceData
{
    /// <summary>Every parameter uniform in ±<paramref name="scale"/>.</summary>
    public static ReferenceSequenceModel RandomModel(ReferenceCell cell, ReferenceHead head, SequenceCase c, Random random, double scale = 0.8)
    {
        var model = new ReferenceSequenceModel(cell, c.Input, c.InputSize, c.EmbeddingSize, c.H, c.Layers, c.Bias, head, c.OutputSize);
        foreach (var (_, values) in Parameters(model))
            Fill(values, random, scale);
        return model;
    }

    /// <summary>
    /// A batch with random lengths in [1, T] (so padded sequences are common), inputs and targets.
    /// Padded LanguageModel targets hold −100, PyTorch's ignore_index, which the model must not read.
    /// </summary>
    public static ReferenceBatch RandomBatch(ReferenceSequenceModel model, SequenceCase c, Random random)
    {
        int T = c.T, B = c.B, L = model.NumLayers, H = model.HiddenSize, O = model.OutputSize;
        var batch = new ReferenceBatch { T = T, B = B, Lengths = new int[B] };
        for (int b = 0; b < B; b++)
            batch.Lengths[b] = random.Next(1, T + 1);
        if (model.Input == ReferenceInput.Dense)
            batch.Dense = Uniform(random, T * B * model.InputSize, 1);
        else
            batch.Tokens = Tokens(random, T * B, model.InputSize);
        if (c.WithH0)
            batch.H0 = Uniform(random, L * B * H, 0.8);
        if (c.WithC0 && model.Cell == ReferenceCell.Lstm)
            batch.C0 = Uniform(random, L * B * H, 1);
        switch (model.Head)
        {
            case ReferenceHead.LanguageModel:
                batch.TokenTargets = Tokens(random, T * B, O);
                for (int t = 0; t < T; t++)
                    for (int b = 0; b < B; b++)
                        if (t >= batch.Lengths[b])
                            batch.TokenTargets[t * B + b] = -100;
                break;
            case ReferenceHead.Classification:
                batch.ClassTargets = Tokens(random, B, O);
                break;
            default:
                batch.ValueTargets = Uniform(random, B * O, 1);
                break;
        }
        return batch;
    }

    /// <summary>The model's parameter arrays, named as PyTorch names them.</summary>
    public static List<(string Name, double[] Values)> Parameters(ReferenceSequenceModel model)
    {
        var list = new List<(string, double[])>();
        for (int l = 0; l < model.NumLayers; l++)
        {
            var layer = model.Layers[l];
            list.Add(($"weight_ih_l{l}", layer.WeightIh));
            list.Add(($"weight_hh_l{l}", layer.WeightHh));
            if (layer.BiasIh != null) list.Add(($"bias_ih_l{l}", layer.BiasIh));
            if (layer.BiasHh != null) list.Add(($"bias_hh_l{l}", layer.BiasHh));
        }
        if (model.Embedding != null) list.Add(("embedding", model.Embedding));
        list.Add(("head.weight", model.HeadWeight));
        if (model.HeadBias != null) list.Add(("head.bias", model.HeadBias));
        return list;
    }

    /// <summary>The gradients of <see cref="Parameters"/>, in the same order.</summary>
    public static List<double[]?> ParameterGradients(ReferenceResult result)
    {
        var list = new List<double[]?>();
        foreach (var layer in result.Layers)
        {
            list.Add(layer.DWeightIh);
            list.Add(layer.DWeightHh);
            if (layer.DBiasIh != null) list.Add(layer.DBiasIh);
            if (layer.DBiasHh != null) list.Add(layer.DBiasHh);
        }
        if (result.DEmbedding != null) list.Add(result.DEmbedding);
        list.Add(result.DHeadWeight);
        if (result.DHeadBias != null) list.Add(result.DHeadBias);
        return list;
    }

    public static double[] Uniform(Random random, int length, double scale)
    {
        var a = new double[length];
        Fill(a, random, scale);
        return a;
    }

    public static int[] Tokens(Random random, int length, int classes)
    {
        var a = new int[length];
        for (int i = 0; i < length; i++) a[i] = random.Next(classes);
        return a;
    }

    private static void Fill(double[] a, Random random, double scale)
    {
        for (int i = 0; i < a.Length; i++) a[i] = (2 * random.NextDouble() - 1) * scale;
    }

    /// <summary>|actual − expected| &lt;= tolerance · max(1, max|expected|) for every entry; the message names the first bad one.</summary>
    public static void AssertClose(double[]? expected, double[]? actual, string what, double tolerance)
    {
        if (expected == null || actual == null)
        {
            if (expected != actual) throw new XunitException($"{what}: one of expected and actual is null");
            return;
        }
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: length {actual.Length}, expected {expected.Length}");
        double scale = 1;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance * scale))
                throw new XunitException($"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R} (|diff| {Math.Abs(actual[i] - expected[i]):E3}, scale {scale:E3})");
    }
}
