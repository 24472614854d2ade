// Tests share torch's global generator and thread pool, and the machine has 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
