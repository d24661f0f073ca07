// Integration fixtures each start their own server on port 0, so fixtures can run side by side.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
