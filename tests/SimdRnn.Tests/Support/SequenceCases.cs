using FsCheck;
using FsCheck.Fluent;
using SimdRnn.Cells;
using SimdRnn.Models;

namespace SimdRnn.Tests.Support;

/// <summary>A random sequence model and batch: every cell, input and head, 1..3 layers, masks, initial states.</summary>
public sealed record SequenceCase(CellKind Cell, InputKind Input, HeadKind Head, int Layers, bool Bias,
                                  int T, int B, int I, int H, int O, bool Padded, bool WithInitialState, int Seed)
{
    public SequenceModelOptions Options => new()
    {
        Cell = Cell, Input = Input, InputSize = I, EmbeddingSize = Input == InputKind.Embedding ? 3 : 0,
        HiddenSize = H, Layers = Layers, Bias = Bias, Head = Head, OutputSize = O, Seed = Seed,
    };

    /// <summary>Generators for cases up to the given sizes.</summary>
    public static Gen<SequenceCase> Gen(int maxT, int maxB, int maxI, int maxH, int maxO) =>
        from cell in FsCheck.Fluent.Gen.Elements(Enum.GetValues<CellKind>())
        from input in FsCheck.Fluent.Gen.Elements(Enum.GetValues<InputKind>())
        from head in FsCheck.Fluent.Gen.Elements(Enum.GetValues<HeadKind>())
        from layers in FsCheck.Fluent.Gen.Choose(1, 3)
        from bias in ArbMap.Default.GeneratorFor<bool>()
        from t in FsCheck.Fluent.Gen.Choose(1, maxT)
        from b in FsCheck.Fluent.Gen.Choose(1, maxB)
        from i in FsCheck.Fluent.Gen.Choose(1, maxI)
        from h in FsCheck.Fluent.Gen.Choose(1, maxH)
        from o in FsCheck.Fluent.Gen.Choose(1, maxO)
        from padded in ArbMap.Default.GeneratorFor<bool>()
        from initial in ArbMap.Default.GeneratorFor<bool>()
        from seed in FsCheck.Fluent.Gen.Choose(0, int.MaxValue)
        select new SequenceCase(cell, input, head, layers, bias, t, b, i, h, o, padded, initial, seed);
}

/// <summary>The arrays of a random batch for a case, kept so that tests can perturb them.</summary>
public sealed class SequenceData<T> where T : System.Numerics.INumberBase<T>
{
    public T[] Dense = [];
    public int[] Tokens = [];
    public int[] Lengths = [];
    public T[] H0 = [], C0 = [];
    public int[] TokenTargets = [], ClassTargets = [];
    public T[] ValueTargets = [];

    public static SequenceData<T> Random(SequenceCase c, Random random)
    {
        var d = new SequenceData<T>();
        int rows = c.T * c.B;
        if (c.Input == InputKind.Dense) d.Dense = Data.Uniform<T>(random, rows * c.I);
        else d.Tokens = Data.Tokens(random, rows, c.I);
        d.Lengths = [.. Enumerable.Range(0, c.B).Select(_ => c.Padded ? 1 + random.Next(c.T) : c.T)];
        if (c.WithInitialState)
        {
            d.H0 = Data.Uniform<T>(random, c.Layers * c.B * c.H, 0.5);
            if (c.Cell == CellKind.Lstm) d.C0 = Data.Uniform<T>(random, c.Layers * c.B * c.H, 0.5);
        }
        d.TokenTargets = Data.Tokens(random, rows, c.O);
        d.ClassTargets = Data.Tokens(random, c.B, c.O);
        d.ValueTargets = Data.Uniform<T>(random, c.B * c.O);
        return d;
    }

    public SequenceBatch<TM> Batch<TM>(SequenceCase c, Func<T[], TM[]>? convert = null) where TM : unmanaged, System.Numerics.IFloatingPointIeee754<TM>
    {
        convert ??= a => (TM[])(object)a;
        return new SequenceBatch<TM>(c.T, c.B)
        {
            Dense = convert(Dense), Tokens = Tokens, Lengths = Lengths, InitialH = convert(H0), InitialC = convert(C0),
            TokenTargets = c.Head == HeadKind.LanguageModel ? TokenTargets : default,
            ClassTargets = c.Head == HeadKind.Classification ? ClassTargets : default,
            ValueTargets = c.Head == HeadKind.Regression ? convert(ValueTargets) : default,
        };
    }
}
