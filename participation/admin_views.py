"""The 意见办理 admin section."""
