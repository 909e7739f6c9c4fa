package org.mqttvpn.codegen.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one gen run renders: the selected nodes' directories, the output root's .gitignore
 * and, when the inventory asks for them, the brokers' bridge configuration ({@link BridgeFiles}).
 */
public record Generation(List<NodeOutput> nodes, RenderedFile gitignore, List<RenderedFile> bridges) {
    public List<RenderedFile> allFiles() {
        List<RenderedFile> all = new ArrayList<>();
        all.add(gitignore);
        nodes.forEach(n -> all.addAll(n.files()));
        all.addAll(bridges);
        return all;
    }
}
