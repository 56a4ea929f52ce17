// A small, safe Markdown renderer for streamed answers: everything is HTML-escaped first, then a
// fixed set of constructs (headings, lists, fenced code, quotes, emphasis, inline code, links) is
// turned into tags. Re-rendered on every delta, so an unclosed fence simply renders as code so far.
(function () {
  "use strict";
  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function inline(s) {
    var parts = s.split(/(`[^`]*`)/g);
    return parts.map(function (p) {
      if (p.length > 1 && p[0] === "`" && p[p.length - 1] === "`") {
        return "<code>" + esc(p.slice(1, -1)) + "</code>";
      }
      var t = esc(p);
      t = t.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
      t = t.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
      t = t.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" rel="noopener noreferrer" target="_blank">$1</a>');
      return t;
    }).join("");
  }
  function render(src) {
    var lines = src.replace(/\r\n?/g, "\n").split("\n");
    var html = [], i = 0, para = [], list = null;
    function flushPara() { if (para.length) { html.push("<p>" + inline(para.join(" ")) + "</p>"); para = []; } }
    function flushList() { if (list) { html.push("<" + list.tag + ">" + list.items.map(function (it) { return "<li>" + inline(it) + "</li>"; }).join("") + "</" + list.tag + ">"); list = null; } }
    while (i < lines.length) {
      var line = lines[i];
      var fence = line.match(/^```\s*([\w+-]*)\s*$/);
      if (fence) {
        flushPara(); flushList();
        var code = []; i++;
        while (i < lines.length && !/^```\s*$/.test(lines[i])) { code.push(lines[i]); i++; }
        i++;
        html.push('<pre><code class="lang-' + esc(fence[1] || "text") + '">' + esc(code.join("\n")) + "</code></pre>");
        continue;
      }
      var h = line.match(/^(#{1,3})\s+(.*)$/);
      var ul = line.match(/^\s*[-*+]\s+(.*)$/);
      var ol = line.match(/^\s*\d+[.)]\s+(.*)$/);
      var q = line.match(/^>\s?(.*)$/);
      if (h) { flushPara(); flushList(); html.push("<h" + h[1].length + ">" + inline(h[2]) + "</h" + h[1].length + ">"); }
      else if (ul || ol) {
        flushPara();
        var tag = ul ? "ul" : "ol";
        if (!list || list.tag !== tag) { flushList(); list = { tag: tag, items: [] }; }
        list.items.push((ul || ol)[1]);
      }
      else if (q) { flushPara(); flushList(); html.push("<blockquote>" + inline(q[1]) + "</blockquote>"); }
      else if (/^\s*$/.test(line)) { flushPara(); flushList(); }
      else { flushList(); para.push(line); }
      i++;
    }
    flushPara(); flushList();
    return html.join("\n");
  }
  window.renderMarkdown = render;
})();
