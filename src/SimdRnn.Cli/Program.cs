using SimdRnn.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

switch (args.FirstOrDefault())
{
    case "train":
        return TrainCommand.Run(args[1..], Console.Out, cancel.Token);
    case null or "help" or "--help" or "-h":
        Console.WriteLine("simdrnn: recurrent neural networks on the CPU at hardware speed\n");
        Console.WriteLine(TrainCommand.Usage);
        return args.Length == 0 ? 2 : 0;
    default:
        Console.WriteLine($"simdrnn: unknown command '{args[0]}'\n");
        Console.WriteLine(TrainCommand.Usage);
        return 2;
}
