"""Benchmarks, measured rather than asserted: ``sitroom bench`` (the ingest path against bare
spaCy, ``bench.ingest``) and ``sitroom bench --api`` (latency of the read API over real HTTP,
``bench.api``). Their figures are recorded in docs/benchmarks.md."""
