extension HTMLReport {
    /// The page's only stylesheet, inline: system fonts, one colour per kind of segment (the same
    /// in the diagram, the legend and the table).
    static let style = """
    :root { --syn: #0f766e; --data: #1d4ed8; --ack: #6b7280; --fin: #7c3aed; --rst: #dc2626; --ink: #1f2937; }
    * { box-sizing: border-box; }
    body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
           margin: 0 auto; padding: 20px 28px 40px; max-width: 1260px; background: #fff; }
    h1 { font-size: 26px; margin: 0 0 4px; } h1 .variant { font-weight: normal; color: #6b7280; }
    h2 { font-size: 19px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; margin-top: 28px; }
    .verdict { display: inline-block; padding: 3px 10px; border-radius: 12px; font-weight: 600; margin: 6px 0; }
    .verdict.pass { background: #dcfce7; color: #166534; } .verdict.fail { background: #fee2e2; color: #991b1b; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; font-size: 14px; }
    .facts dt { color: #6b7280; } .facts dd { margin: 0; }
    .error { color: #991b1b; font-weight: 600; }
    .legend { font-size: 13px; color: #4b5563; }
    .key { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 4px; color: #fff; font-weight: 600; }
    .key.syn { background: var(--syn); } .key.data { background: var(--data); } .key.ack { background: var(--ack); }
    .key.fin { background: var(--fin); } .key.rst { background: var(--rst); }
    .connections { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; columns: 3; }
    .diagram { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; background: #fcfcfd; overflow-x: auto; }
    /* Natural size: on a narrow screen the diagram scrolls sideways instead of shrinking its text. */
    svg.ladder, svg.tsg { display: block; max-width: none; }
    svg .gutter-title { font: 600 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #9ca3af; }
    svg .time { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #374151; }
    svg .gap { font: italic 11px ui-monospace, "DejaVu Sans Mono", monospace; fill: #b45309; }
    svg rect.transition-mark { fill: #e0e7ff; stroke: #4338ca; stroke-width: 1.4; }
    svg text.transition { font: 600 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #3730a3; }
    svg.tsg .axis { stroke: #6b7280; stroke-width: 1; } svg.tsg .tick { font: 11px ui-monospace, "DejaVu Sans Mono", monospace; fill: #4b5563; }
    svg.tsg .axis-title { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #374151; }
    svg.tsg .grid { stroke: #eef0f3; stroke-width: 1; }
    svg.tsg .data rect { fill: var(--data); } svg.tsg .syn rect { fill: var(--syn); }
    svg.tsg .data.retransmission rect, svg.tsg .syn.retransmission rect { fill: var(--rst); }
    svg.tsg .ack-line { fill: none; stroke: #16a34a; stroke-width: 1.6; } svg.tsg .window-line { fill: none; stroke: #d97706; stroke-width: 1.6; }
    svg.tsg .window-label { font: 11px ui-monospace, "DejaVu Sans Mono", monospace; fill: #b45309; }
    svg.tsg .zero-window { fill: var(--rst); }
    figure.tsg { margin: 8px 0 16px; } figure.tsg figcaption { font-size: 13px; color: #4b5563; max-width: 680px; }
    .swatch { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 10px; vertical-align: baseline; background: var(--data); }
    .swatch.syn { background: var(--syn); } .swatch.retransmission { background: var(--rst); } .swatch.ack { height: 3px; background: #16a34a; vertical-align: middle; }
    .swatch.window { height: 3px; background: #d97706; vertical-align: middle; } .swatch.zero-window { width: 8px; height: 8px; border-radius: 4px; background: var(--rst); }
    .tsg-legend .swatch:first-child { margin-left: 0; }
    .snapshot h3 { font-size: 15px; margin: 14px 0 4px; } .when { color: #6b7280; font-weight: normal; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    table.sockets, table.processes { border-collapse: collapse; font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
    .sockets th, .processes th { text-align: left; background: #fef3c7; padding: 3px 8px; }
    .sockets td, .processes td { padding: 2px 8px; border-top: 1px solid #f3f4f6; white-space: nowrap; }
    tr.zombie td { background: #fee2e2; color: #991b1b; font-weight: 600; }
    .note code { font-size: 13px; white-space: pre-wrap; } .empty { font-style: italic; color: #6b7280; }
    .snapshot { overflow-x: auto; }
    svg .title { font: 600 15px system-ui, "DejaVu Sans", sans-serif; fill: var(--ink); }
    svg .lifeline { stroke: #9ca3af; stroke-width: 2; stroke-dasharray: 6 4; }
    svg .arrow { stroke-width: 2; }
    svg .segment.syn .arrow { stroke: var(--syn); } svg .segment.data .arrow { stroke: var(--data); }
    svg .segment.ack .arrow { stroke: var(--ack); } svg .segment.fin .arrow { stroke: var(--fin); }
    svg .segment.rst .arrow { stroke: var(--rst); stroke-width: 3; }
    svg .head.syn path { fill: var(--syn); } svg .head.data path { fill: var(--data); } svg .head.ack path { fill: var(--ack); }
    svg .head.fin path { fill: var(--fin); } svg .head.rst path { fill: var(--rst); }
    svg .label { font: 600 13px ui-monospace, "DejaVu Sans Mono", monospace; fill: var(--ink); }
    svg .segment.rst .label { fill: var(--rst); }
    svg .detail { font: italic 12px system-ui, "DejaVu Sans", sans-serif; fill: #4b5563; }
    svg .number { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #9ca3af; }
    svg .call { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #111827; }
    svg .tick { fill: #374151; }
    svg rect.state { fill: #fef3c7; stroke: #d97706; stroke-width: 1.2; }
    svg text.state { font: 600 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #92400e; }
    svg .moment { font: italic 12px system-ui, "DejaVu Sans", sans-serif; fill: #92400e; }
    .claims { list-style: none; padding: 0; }
    .claim { margin: 6px 0; padding: 8px 12px; border-left: 4px solid; border-radius: 4px; }
    .claim.holds { border-color: #16a34a; background: #f0fdf4; } .claim.fails { border-color: #dc2626; background: #fef2f2; }
    .claim .badge { font-weight: 700; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    .claim.holds .badge { color: #15803d; } .claim.fails .badge { color: #b91c1c; }
    .claim .evidence { font-size: 13px; color: #4b5563; margin-top: 2px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    table.segments { border-collapse: collapse; width: 100%; font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
    .segments th { text-align: left; background: #f3f4f6; padding: 4px 8px; }
    .segments td { padding: 3px 8px; border-top: 1px solid #f3f4f6; white-space: nowrap; }
    .segments td:last-child, .segments td:nth-child(8) { white-space: normal; }
    .segments tr.rst td { color: var(--rst); } .segments tr.fin td:nth-child(4) { color: var(--fin); font-weight: 600; }
    .segments tr.syn td:nth-child(4) { color: var(--syn); font-weight: 600; }
    footer { margin-top: 28px; font-size: 12px; color: #9ca3af; }
    """
}
