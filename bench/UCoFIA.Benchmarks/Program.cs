using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/UCoFIA.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/UCoFIA.Benchmarks -- write-vit-b32 FOLDER
if (args is ["write-vit-b32", var folder])
{
    ViTB32Checkpoint.Write(folder);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(RerankKernelBenchmarks).Assembly).Run(args);
