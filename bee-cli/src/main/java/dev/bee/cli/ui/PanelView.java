package dev.bee.cli.ui;

/** How the user chose to look at one panel: a display filter and, for tables, a sort order (each may be null). */
record PanelView(FieldFilter filter, Sort sort) {
    static final PanelView PLAIN = new PanelView(null, null);

    PanelView withFilter(FieldFilter f) {
        return new PanelView(f, sort);
    }

    PanelView withSort(Sort s) {
        return new PanelView(filter, s);
    }
}
