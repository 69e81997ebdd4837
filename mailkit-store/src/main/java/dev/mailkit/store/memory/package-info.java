/** The in-memory mail store, {@link dev.mailkit.store.memory.MemoryMailStore}: the reference implementation, for tests. */
package dev.mailkit.store.memory;
