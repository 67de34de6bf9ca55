"""newsdesk's answering layer and its front ends (CLI, REPL, Discord)."""
