package org.mqttvpn.codegen.render;

import java.util.List;

/** The files of one host or device: everything below {@code <output>/<name>/}. */
public record NodeOutput(String name, List<RenderedFile> files) {
}
