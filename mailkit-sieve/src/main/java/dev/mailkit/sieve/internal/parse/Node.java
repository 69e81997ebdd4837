package dev.mailkit.sieve.internal.parse;

import java.util.List;

/**
 * A command or a test as parsed: its identifier (lower case: Sieve identifiers are case-insensitive), arguments,
 * tests (one, or a parenthesised list) and, for a command, its block (null if it ended with {@code ;}).
 *
 * @param name     the identifier, lower case
 * @param args     the arguments before the tests
 * @param tests    the tests
 * @param testList whether the tests were a parenthesised list
 * @param block    the commands of the block, or null
 * @param line     the line of the identifier
 */
public record Node(String name, List<Arg> args, List<Node> tests, boolean testList, List<Node> block, int line) {
}
