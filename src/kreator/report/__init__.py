"""Rendering shared by the CLI, the web app and files: text tables, explanations, charts."""
