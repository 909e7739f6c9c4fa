package org.mqttvpn.codegen.inventory;

/** A value read from a file, with where it was written (for messages about it later). */
public record Located<T>(T value, Position at) {
}
