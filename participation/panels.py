"""The opinion panels on item and unit pages (the plugin's register_item_panel / register_unit_panel)."""
