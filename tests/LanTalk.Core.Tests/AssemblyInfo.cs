// Unit tests: no sockets, no files, safe to run in parallel.
[assembly: Parallelizable(ParallelScope.Fixtures)]
