using System.Numerics;

namespace SimdRnn.Models;

/// <summary>
/// One mini-batch of B sequences of up to T steps, time-major: element (t, b) of a (T, B, …) array
/// is at index (t·B + b)·width. Only the fields the model's input and head need are set; the
/// arrays stay the caller's and are read, never kept.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SequenceBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A batch of <paramref name="batchSize"/> sequences of up to <paramref name="steps"/> steps.</summary>
    public SequenceBatch(int steps, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Steps = steps;
        BatchSize = batchSize;
    }

    /// <summary>T, the steps of the longest sequence.</summary>
    public int Steps { get; }

    /// <summary>B, the number of sequences.</summary>
    public int BatchSize { get; }

    /// <summary>Dense input, (T, B, I).</summary>
    public ReadOnlyMemory<T> Dense { get; init; }

    /// <summary>Token input, (T, B), ids in [0, C).</summary>
    public ReadOnlyMemory<int> Tokens { get; init; }

    /// <summary>Valid steps of each sequence, (B), each in [1, T]; empty means all T. Steps past a
    /// sequence's length are padding: they change neither the loss, the gradients nor the final state.</summary>
    public ReadOnlyMemory<int> Lengths { get; init; }

    /// <summary>Initial h of every layer, (L, B, H); empty means zeros.</summary>
    public ReadOnlyMemory<T> InitialH { get; init; }

    /// <summary>Initial c of every layer (LSTM), (L, B, H); empty means zeros.</summary>
    public ReadOnlyMemory<T> InitialC { get; init; }

    /// <summary>Language-model targets, (T, B), classes in [0, O).</summary>
    public ReadOnlyMemory<int> TokenTargets { get; init; }

    /// <summary>Classification targets, (B), classes in [0, O).</summary>
    public ReadOnlyMemory<int> ClassTargets { get; init; }

    /// <summary>Regression targets, (B, O).</summary>
    public ReadOnlyMemory<T> ValueTargets { get; init; }

    /// <summary>The valid steps of sequence <paramref name="b"/>.</summary>
    internal int Length(int b) => Lengths.IsEmpty ? Steps : Lengths.Span[b];

    /// <summary>Tokens the loss is taken over: the valid steps (language model) or the sequences.</summary>
    public long LossTerms(HeadKind head)
    {
        if (head != HeadKind.LanguageModel) return BatchSize;
        long n = 0;
        for (int b = 0; b < BatchSize; b++) n += Length(b);
        return n;
    }
}
