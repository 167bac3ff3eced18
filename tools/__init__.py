"""The maintainers' tools: generated parts, the teacher's kit, handouts and benchmarks (see README.md)."""
