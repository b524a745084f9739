package dev.imagesearch.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the page templates in {@code template-assets/} (packaged into the jar). Mustache escapes
 * HTML in every {@code {{value}}} by default, and each template is compiled once and cached.
 *
 * <pre>{@code String html = templates.render("page.mustache", model);}</pre>
 */
public final class Templates {
  private final MustacheFactory factory = new DefaultMustacheFactory("template-assets");
  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

  public String render(String name, Object model) {
    Mustache template = compiled.computeIfAbsent(name, factory::compile);
    StringWriter out = new StringWriter(8192);
    template.execute(out, model);
    return out.toString();
  }
}
