// Draw the partnership's network: sectors coloured, brokers sized by betweenness, ties thicker the stronger
// they are on PARTNER's scale. The tables below the drawing hold the same data for screen readers and print.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (!box || !source || typeof cytoscape === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { "public": "#005ea2", "private": "#e5a000", "nonprofit": "#00a91c" };
  var top = data.nodes.reduce(function (most, node) { return Math.max(most, node.b); }, 0) || 1;
  var elements = data.nodes.map(function (node) {
    return { data: { id: "o" + node.id, label: node.label, colour: colours[node.sector] || "#71767a",
                     size: 18 + 42 * Math.sqrt(node.b / top) } };
  }).concat(data.edges.map(function (edge, i) {
    return { data: { id: "t" + i, source: "o" + edge.a, target: "o" + edge.b, width: edge.level } };
  }));
  box.hidden = false;
  // Cytoscape writes a <style> element (its container's position) unless one with this id exists: the policy
  // refuses inline styles, so a placeholder stands in for it and site.css gives the container its position.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var placeholder = document.createElement("meta");
    placeholder.id = "__________cytoscape_stylesheet";
    document.head.appendChild(placeholder);
  }
  cytoscape({
    container: box,
    elements: elements,
    layout: { name: "cose", animate: false, randomize: false },
    style: [
      { selector: "node", style: { "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
                                   "label": "data(label)", "font-size": 10, "text-valign": "bottom", "color": "#1b1b1b" } },
      { selector: "edge", style: { "width": "data(width)", "line-color": "#a9aeb1", "curve-style": "haystack" } }
    ]
  });
})();
