using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Models;

// Checks at the public boundary, done once before anything runs.
public sealed partial class SequenceModel<T>
{
    /// <summary>Checks a batch against the model once, before anything runs.</summary>
    private void Validate(SequenceBatch<T> batch)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(batch);
        int steps = batch.Steps, b = batch.BatchSize, rows = steps * b;
        int layersState = _o.Layers * b * _o.HiddenSize;
        if (_o.Input == InputKind.Dense)
            CheckLength(batch.Dense.Length, rows * _o.InputSize, nameof(batch.Dense));
        else
            CheckIds(batch.Tokens.Span, rows, _o.InputSize, nameof(batch.Tokens));
        if (!batch.Lengths.IsEmpty)
        {
            CheckLength(batch.Lengths.Length, b, nameof(batch.Lengths));
            foreach (int length in batch.Lengths.Span)
                if (length < 1 || length > steps)
                    throw new ArgumentOutOfRangeException(nameof(batch.Lengths), length, $"Every length must be in [1, {steps}].");
        }
        if (!batch.InitialH.IsEmpty) CheckLength(batch.InitialH.Length, layersState, nameof(batch.InitialH));
        if (!batch.InitialC.IsEmpty)
        {
            if (_o.Cell != CellKind.Lstm) throw new ArgumentException("Only an LSTM has a cell state.", nameof(batch.InitialC));
            CheckLength(batch.InitialC.Length, layersState, nameof(batch.InitialC));
        }
        switch (_o.Head)
        {
            case HeadKind.LanguageModel:
                CheckIds(batch.TokenTargets.Span, rows, _o.OutputSize, nameof(batch.TokenTargets));
                break;
            case HeadKind.Classification:
                CheckIds(batch.ClassTargets.Span, b, _o.OutputSize, nameof(batch.ClassTargets));
                break;
            default:
                CheckLength(batch.ValueTargets.Length, b * _o.OutputSize, nameof(batch.ValueTargets));
                break;
        }
    }

    private static void CheckIds(ReadOnlySpan<int> ids, int length, int count, string argument)
    {
        CheckLength(ids.Length, length, argument);
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)count)
                throw new ArgumentOutOfRangeException(argument, ids[i], $"Entry {i} is {ids[i]}, outside [0, {count}).");
    }

    private static void CheckLength(int length, int needed, string argument)
    {
        if (length != needed)
            throw new ArgumentException($"{argument} has length {length}; it must be {needed}.", argument);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
