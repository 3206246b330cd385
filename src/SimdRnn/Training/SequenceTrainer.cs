using System.Diagnostics;
using System.Numerics;
using SimdRnn.Cells;
using SimdRnn.Models;

namespace SimdRnn.Training;

/// <summary>
/// Trains a <see cref="SequenceModel{T}"/> with an <see cref="IOptimizer{T}"/>: full BPTT over
/// mini-batches, or chunked truncated BPTT over a long token stream (the char-rnn way: B parallel
/// streams cut into chunks of T steps, the final state of a chunk carried, detached, into the next).
/// Deterministic for a given seed, data and thread count.
/// </summary>
public static class SequenceTrainer
{
    /// <summary>Trains on <paramref name="batches"/> in order, every epoch; returns each epoch's mean loss.</summary>
    /// <exception cref="NonFiniteLossException">A loss or gradient norm became NaN or infinite; the
    /// message says where, and the weights are those before that step.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public static IReadOnlyList<double> Train<T>(SequenceModel<T> model, IOptimizer<T> optimizer, IReadOnlyList<SequenceBatch<T>> batches,
                                                 SequenceTrainingOptions options, IProgress<SequenceTrainingProgress>? progress = null,
                                                 CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (batches.Count == 0) throw new ArgumentException("There are no batches.", nameof(batches));
        return Run(model, optimizer, batches.Count, (n, _) => batches[n], (_, _) => { }, options, progress, cancellationToken);
    }

    /// <summary>
    /// Chunked truncated BPTT on a token stream for a language model with token input: the stream is
    /// cut into <paramref name="batchSize"/> parallel streams, read <paramref name="chunkSteps"/> tokens
    /// at a time (targets: the next token); each chunk starts from the previous chunk's final state,
    /// and every epoch starts from zeros. Returns each epoch's mean loss per token.
    /// </summary>
    public static IReadOnlyList<double> TrainStream<T>(SequenceModel<T> model, IOptimizer<T> optimizer, ReadOnlySpan<int> stream,
                                                       int batchSize, int chunkSteps, SequenceTrainingOptions options,
                                                       IProgress<SequenceTrainingProgress>? progress = null,
                                                       CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var o = model.Options;
        if (o.Input == InputKind.Dense || o.Head != HeadKind.LanguageModel)
            throw new ArgumentException("Stream training needs token input and a language-model head.", nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSteps, 1);
        int perStream = (stream.Length - 1) / batchSize;
        int chunks = perStream / chunkSteps;
        if (chunks == 0)
            throw new ArgumentException($"A stream of {stream.Length} tokens is too short for {batchSize} streams of chunks of {chunkSteps} steps.", nameof(stream));
        foreach (int token in stream)
            if ((uint)token >= (uint)Math.Min(o.InputSize, o.OutputSize))
                throw new ArgumentOutOfRangeException(nameof(stream), token, $"Tokens must be in [0, {Math.Min(o.InputSize, o.OutputSize)}).");

        // Lay every chunk out once, time-major, so that the steps allocate nothing.
        int rows = chunkSteps * batchSize, state = o.Layers * batchSize * o.HiddenSize;
        var inputs = new int[chunks * rows];
        var targets = new int[chunks * rows];
        for (int k = 0; k < chunks; k++)
            for (int t = 0; t < chunkSteps; t++)
                for (int b = 0; b < batchSize; b++)
                {
                    int at = b * perStream + k * chunkSteps + t;
                    inputs[k * rows + t * batchSize + b] = stream[at];
                    targets[k * rows + t * batchSize + b] = stream[at + 1];
                }
        var h = new T[state];
        var c = new T[o.Cell == CellKind.Lstm ? state : 0];
        var batches = new SequenceBatch<T>[chunks];
        for (int k = 0; k < chunks; k++)
            batches[k] = new SequenceBatch<T>(chunkSteps, batchSize)
            {
                Tokens = inputs.AsMemory(k * rows, rows),
                TokenTargets = targets.AsMemory(k * rows, rows),
                InitialH = h,
                InitialC = c,
            };
        return Run(model, optimizer, chunks, (k, _) => batches[k],
            (k, m) =>
            {
                if (k == 0) { Array.Clear(h); Array.Clear(c); }
                else m.CopyFinalState(h, c);
            },
            options, progress, cancellationToken);
    }

    private static IReadOnlyList<double> Run<T>(SequenceModel<T> model, IOptimizer<T> optimizer, int count,
                                               Func<int, int, SequenceBatch<T>> batchAt, Action<int, SequenceModel<T>> beforeStep,
                                               SequenceTrainingOptions options, IProgress<SequenceTrainingProgress>? progress,
                                               CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var losses = new List<double>();
        long steps = 0;
        double? previous = null;
        var head = model.Options.Head;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double lossSum = 0, norm = double.NaN;
            long terms = 0, tokens = 0;
            for (int n = 0; n < count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                beforeStep(n, model);
                var batch = batchAt(n, epoch);
                double loss = model.ForwardBackward(batch);
                if (!double.IsFinite(loss))
                    throw new NonFiniteLossException($"The loss is {loss} at epoch {epoch}, batch {n} (step {steps + 1}); the weights were left as they were.");
                var gradients = model.Gradients.Flat;
                norm = GradientClipping.ClipByGlobalNorm(gradients, options.MaxGradientNorm ?? double.PositiveInfinity);
                if (!double.IsFinite(norm))
                    throw new NonFiniteLossException($"The gradient norm is {norm} at epoch {epoch}, batch {n} (step {steps + 1}); the weights were left as they were.");
                if (options.ClipValue is double clip) GradientClipping.ClipByValue(gradients, clip);
                optimizer.Step(model.Parameters.Flat, gradients);
                steps++;
                lossSum += loss;
                terms += batch.LossTerms(head);
                tokens += batch.LossTerms(HeadKind.LanguageModel);
            }
            double mean = lossSum / terms;
            losses.Add(mean);
            if (options.Schedule is { } schedule)
                optimizer.LearningRate = schedule.Next(optimizer.LearningRate, epoch + 1, mean, previous);
            previous = mean;
            progress?.Report(new SequenceTrainingProgress(epoch + 1, steps, mean, optimizer.LearningRate, tokens / clock.Elapsed.TotalSeconds, norm));
        }
        return losses;
    }
}
