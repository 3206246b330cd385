using System.Diagnostics;
using System.Globalization;
using SimdRnn.Kernels;
using SimdRnn.Models;
using SimdRnn.Training;

namespace SimdRnn.Cli;

/// <summary>
/// `simdrnn train`: trains the seed's RNN language model on the built-in grammar corpus (or the
/// sizes given), printing the loss as it falls, tokens per second and generated sentences.
/// </summary>
public static class TrainCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: simdrnn train [options]
          --sentences N     sentences of the built-in grammar corpus (default 2000)
          --hidden H        hidden size (default 64)
          --truncate K      bptt_truncate (default 4)
          --epochs E        passes over the corpus (default 12)
          --evaluate-every N  evaluate the loss every N epochs (default 1)
          --lr RATE         initial learning rate (default 0.005)
          --seed S          seed of the corpus, the weights and the sampling (default 1)
          --samples N       sentences to generate at the end (default 5)
        """;

    /// <summary>Runs the command; returns the process exit code (0 ok, 2 bad arguments, 3 diverged).</summary>
    public static int Run(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            output.WriteLine(Usage);
            return 0;
        }
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"simdrnn train: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }

        var sentences = GrammarCorpus.Sentences(settings.Sentences, settings.Seed);
        var vocabulary = new Vocabulary(GrammarCorpus.Words);
        var pairs = sentences.Select(vocabulary.TrainingPair).ToList();
        var xs = pairs.Select(p => p.X).ToList();
        var ys = pairs.Select(p => p.Y).ToList();
        long tokens = xs.Sum(x => (long)x.Length);
        output.WriteLine($"corpus: {xs.Count} sentences, {tokens} tokens, vocabulary C = {vocabulary.Count}");
        output.WriteLine($"model: Elman RNN, H = {settings.Hidden}, K = {settings.Truncate}, float, {SimdPath.Name}");

        using var model = new RnnLanguageModel<float>(vocabulary.Count, settings.Hidden, settings.Truncate, settings.Seed);
        var options = new SgdTrainingOptions
        {
            LearningRate = settings.LearningRate,
            Epochs = settings.Epochs,
            EvaluateLossAfter = settings.EvaluateEvery,
        };
        var progress = new SynchronousProgress(p => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch,3}  sentences {p.ExamplesSeen,8}  loss {p.MeanLoss,7:F4}  lr {p.LearningRate:G4}  {p.TokensPerSecond,10:N0} tokens/s")));
        var clock = Stopwatch.StartNew();
        int exitCode = 0;
        try
        {
            SgdTrainer.Train(model, xs, ys, options, progress, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("cancelled: the model keeps the weights of the last complete step");
        }
        catch (NonFiniteLossException e)
        {
            output.WriteLine($"diverged: {e.Message}");
            exitCode = 3;
        }
        if (exitCode == 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"final loss {model.MeanLoss(xs, ys):F4} per token (uniform guessing: {Math.Log(vocabulary.Count):F4}), {clock.Elapsed.TotalSeconds:F1} s"));
            var random = new Random(settings.Seed);
            for (int n = 0; n < settings.Samples; n++)
            {
                var generated = model.Generate(0, 1, 30, random, forbiddenToken: 0);
                output.WriteLine("  > " + string.Join(' ', generated.Select(vocabulary.Word)));
            }
        }
        return exitCode;
    }

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed record Settings(int Sentences, int Hidden, int Truncate, int Epochs, int EvaluateEvery,
                                   double LearningRate, int Seed, int Samples)
    {
        public static Settings Parse(string[] args)
        {
            var s = new Settings(2000, 64, 4, 12, 1, 0.005, 1, 5);
            for (int i = 0; i < args.Length; i++)
            {
                string name = args[i];
                if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
                string value = args[++i];
                s = name switch
                {
                    "--sentences" => s with { Sentences = Int(name, value, 1) },
                    "--hidden" => s with { Hidden = Int(name, value, 1) },
                    "--truncate" => s with { Truncate = Int(name, value, 0) },
                    "--epochs" => s with { Epochs = Int(name, value, 0) },
                    "--evaluate-every" => s with { EvaluateEvery = Int(name, value, 1) },
                    "--lr" => s with { LearningRate = Rate(name, value) },
                    "--seed" => s with { Seed = Int(name, value, int.MinValue) },
                    "--samples" => s with { Samples = Int(name, value, 0) },
                    _ => throw new ArgumentException($"unknown option {name}."),
                };
            }
            return s;
        }

        private static int Int(string name, string value, int min)
            => int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n >= min
                ? n : throw new ArgumentException($"{name} must be an integer of at least {min}, not '{value}'.");

        private static double Rate(string name, string value)
            => double.TryParse(value, CultureInfo.InvariantCulture, out double r) && r > 0 && double.IsFinite(r)
                ? r : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");
    }
}
