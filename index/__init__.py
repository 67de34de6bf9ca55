"""newsdesk's article index: read, chunk, embed, store and retrieve news articles offline."""
