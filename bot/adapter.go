package bot

import "context"

// An Adapter connects the bot to one chat platform. It translates the
// platform's events (slash commands, mentions, button clicks) into
// Requests for the bot and the bot's Replies into the platform's
// messages, and posts what the bot sends on its own (Poster). The
// adapters live in package adapters/…; each checks at compile time that
// it is one:
//
//	var _ bot.Adapter = (*Adapter)(nil)
type Adapter interface {
	Poster

	// Platform is the platform's name in Requests and Destinations:
	// "slack", "mattermost", "console".
	Platform() string

	// Run serves the platform until ctx ends, then returns nil once what
	// it started has finished; an error means it could not serve (a
	// configuration the platform refuses, a listener that cannot bind).
	Run(ctx context.Context) error
}
