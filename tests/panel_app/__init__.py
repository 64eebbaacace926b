"""A stand-in for the next app built on the plugin: it adds panels to the public pages and the dashboard through hooks only."""
