package org.mqttvpn.codegen.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.velocity.exception.VelocityException;
import org.junit.jupiter.api.Test;

/** One template at a time, and the escaping rules every template relies on. */
class TemplateRendererTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    @Test
    void theGitignoreTemplateListsThePatternsItIsGiven() {
        String text = renderer.render("output/gitignore.vm", Map.of("patterns", java.util.List.of("*.key", "secret.h")));
        assertThat(text).endsWith("\n*.key\nsecret.h\n").startsWith("# Written by toolkit gen.");
    }

    @Test
    void aReferenceTheModelLacksFailsInsteadOfRenderingEmpty() {
        assertThatThrownBy(() -> renderer.render("output/gitignore.vm", Map.of())).isInstanceOf(VelocityException.class)
                .hasMessageContaining("patterns");
    }

    @Test
    void cPreprocessorLinesStayCWhileVelocityDirectivesWithParenthesesStillWork() {
        String t = "#include <stdio.h>\n#define X 1\n#if X > 0\n#else\n#endif\n#if($a)\nyes\n#{else}\nno\n#end\n  #  ifdef Y\n";
        String escaped = CTemplateLoader.escapeDirectives(t);
        assertThat(escaped).startsWith("#[[#]]#include <stdio.h>\n#[[#]]#define X 1\n#[[#]]#if X > 0\n#[[#]]#else\n#[[#]]#endif\n#if($a)\n")
                .contains("#{else}").contains("  #[[#]]#  ifdef Y");
        assertThat(CTemplateLoader.isC("esp32-idf/main.c.vm")).isTrue();
        assertThat(CTemplateLoader.isC("host-sim/run.sh.vm")).isFalse();
    }

    @Test
    void cLiteralsEscapeQuotesBackslashesTrigraphsAndNonAscii() {
        assertThat(CText.literal("a\"b\\c??=d")).isEqualTo("\"a\\\"b\\\\c\\?\\?=d\"");
        assertThat(CText.literal("Café\n")).isEqualTo("\"Caf\\303\\251\\012\"");
        assertThat(CText.literalOrNull(null)).isEqualTo("NULL");
    }

    @Test
    void aCLiteralRefusesANulRatherThanEndTheStringEarly() {
        assertThatThrownBy(() -> CText.literal("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
        assertThat(CText.literal("a\tb\0331")).isEqualTo("\"a\\011b\\0331\"");
    }

    @Test
    void systemdWordsKeepSpecifiersDollarsSpacesQuotesAndBackslashesLiteral() {
        assertThat(SystemdText.execArgument("/etc/mqttvpn/network.yaml")).isEqualTo("/etc/mqttvpn/network.yaml");
        assertThat(SystemdText.execArgument("/srv/x %n $HOME y/network.yaml"))
                .isEqualTo("\"/srv/x %%n $$HOME y/network.yaml\"");
        assertThat(SystemdText.execArgument("/a%b$c")).isEqualTo("/a%%b$$c");
        assertThat(SystemdText.execArgument("/it's \"x\"\\y")).isEqualTo("\"/it's \\\"x\\\"\\\\y\"");
        assertThat(SystemdText.execArgument("/a;b")).isEqualTo("\"/a;b\"");
        // the command is taken without variable substitution: its $ stays single
        assertThat(SystemdText.execCommand("/srv/x %n $HOME y/toolkit")).isEqualTo("\"/srv/x %%n $HOME y/toolkit\"");
        // a path setting is the rest of the line: only specifiers are expanded there
        assertThat(SystemdText.pathSetting("/srv/x %n $HOME y/a.env")).isEqualTo("/srv/x %%n $HOME y/a.env");
        assertThatThrownBy(() -> SystemdText.execArgument("/a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shellWordsAreQuotedOnlyWhenNeeded() {
        assertThat(ShellText.word("mqttip")).isEqualTo("mqttip");
        assertThat(ShellText.word("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(ShellText.environmentValue("a b$c")).isEqualTo("'a b$c'");
        assertThat(ShellText.environmentValue("it's \"x\"")).isEqualTo("\"it's \\\"x\\\"\"");
    }
}
