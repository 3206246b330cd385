namespace SimdRnn.Cli;

/// <summary>Word ↔ token id, with the tutorial's sentence start and end tokens as ids 0 and 1.</summary>
public sealed class Vocabulary
{
    /// <summary>The token that starts every input sentence.</summary>
    public const string SentenceStart = "SENTENCE_START";
    /// <summary>The token that ends every target sentence.</summary>
    public const string SentenceEnd = "SENTENCE_END";

    private readonly List<string> _words = [SentenceStart, SentenceEnd];
    private readonly Dictionary<string, int> _ids = new() { [SentenceStart] = 0, [SentenceEnd] = 1 };

    /// <summary>A vocabulary of the start and end tokens plus <paramref name="words"/>.</summary>
    public Vocabulary(IEnumerable<string> words)
    {
        foreach (var word in words)
            if (_ids.TryAdd(word, _words.Count)) _words.Add(word);
    }

    /// <summary>C, the number of tokens.</summary>
    public int Count => _words.Count;

    /// <summary>The id of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public int Id(string word) => _ids.TryGetValue(word, out int id) ? id : throw new KeyNotFoundException($"'{word}' is not in the vocabulary.");

    /// <summary>The word of token <paramref name="id"/>.</summary>
    public string Word(int id) => _words[id];

    /// <summary>The tutorial's training pair: x = [start, w_1..w_n], y = [w_1..w_n, end].</summary>
    public (int[] X, int[] Y) TrainingPair(IReadOnlyList<string> sentence)
    {
        var ids = sentence.Select(Id).ToArray();
        return ([0, .. ids], [.. ids, 1]);
    }
}
