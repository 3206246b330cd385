namespace SimdRnn.Cli;

/// <summary>
/// The built-in default corpus: English-like sentences drawn from a small grammar, deterministic
/// by seed, so that `simdrnn train` needs no download. The grammar has agreement and nesting for
/// the model to learn (a determiner is followed by adjectives then a noun, a transitive verb by an
/// object, a preposition by a noun phrase):
/// <code>
/// S  → NP VP [and NP VP] .
/// NP → Det Adj* Noun [PP] | Name
/// VP → Vt NP | Vi [PP]
/// PP → Prep NP
/// </code>
/// </summary>
public static class GrammarCorpus
{
    private static readonly string[] Determiners = ["the", "a", "every", "my"];
    private static readonly string[] Adjectives = ["small", "big", "red", "old", "quiet", "happy", "clever", "green"];
    private static readonly string[] Nouns = ["cat", "dog", "bird", "child", "teacher", "farmer", "king", "queen", "robot", "river", "garden", "house", "book", "song", "tree", "boat"];
    private static readonly string[] Names = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly string[] TransitiveVerbs = ["sees", "likes", "finds", "follows", "builds", "reads", "paints", "helps"];
    private static readonly string[] IntransitiveVerbs = ["sleeps", "runs", "laughs", "waits", "sings", "falls"];
    private static readonly string[] Prepositions = ["near", "under", "behind", "with"];

    /// <summary>Every word the grammar can produce, then "." and "and".</summary>
    public static IEnumerable<string> Words =>
        Determiners.Concat(Adjectives).Concat(Nouns).Concat(Names).Concat(TransitiveVerbs)
                   .Concat(IntransitiveVerbs).Concat(Prepositions).Append("and").Append(".");

    /// <summary><paramref name="count"/> sentences, each a list of words ending in ".".</summary>
    public static List<List<string>> Sentences(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var sentences = new List<List<string>>(count);
        for (int n = 0; n < count; n++)
        {
            var words = new List<string>();
            Clause(words, random);
            if (random.NextDouble() < 0.2)
            {
                words.Add("and");
                Clause(words, random);
            }
            words.Add(".");
            sentences.Add(words);
        }
        return sentences;
    }

    private static void Clause(List<string> words, Random random)
    {
        NounPhrase(words, random, depth: 0);
        if (random.NextDouble() < 0.6)
        {
            words.Add(Pick(TransitiveVerbs, random));
            NounPhrase(words, random, depth: 0);
        }
        else
        {
            words.Add(Pick(IntransitiveVerbs, random));
            if (random.NextDouble() < 0.4) PrepositionalPhrase(words, random, depth: 0);
        }
    }

    private static void NounPhrase(List<string> words, Random random, int depth)
    {
        if (random.NextDouble() < 0.25)
        {
            words.Add(Pick(Names, random));
            return;
        }
        words.Add(Pick(Determiners, random));
        while (random.NextDouble() < 0.3) words.Add(Pick(Adjectives, random));
        words.Add(Pick(Nouns, random));
        if (depth == 0 && random.NextDouble() < 0.2) PrepositionalPhrase(words, random, depth + 1);
    }

    private static void PrepositionalPhrase(List<string> words, Random random, int depth)
    {
        words.Add(Pick(Prepositions, random));
        NounPhrase(words, random, depth);
    }

    private static string Pick(string[] options, Random random) => options[random.Next(options.Length)];
}
