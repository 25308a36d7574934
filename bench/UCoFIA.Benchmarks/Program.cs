using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/UCoFIA.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(RerankKernelBenchmarks).Assembly).Run(args);
