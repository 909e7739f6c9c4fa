package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.List;

/** Everything one gen run renders: the selected nodes' directories and the output root's .gitignore. */
public record Generation(List<NodeOutput> nodes, RenderedFile gitignore) {
    public List<RenderedFile> allFiles() {
        List<RenderedFile> all = new ArrayList<>();
        all.add(gitignore);
        nodes.forEach(n -> all.addAll(n.files()));
        return all;
    }
}
