package bot

import "context"

// Request is a command someone typed, as an adapter received it.
type Request struct {
	Platform string // "console", "slack", "mattermost"
	Team     string // workspace or team ID, if the platform has them
	Channel  string // channel ID; polls and schedules belong to a channel
	User     string // the platform's user ID
	UserName string // a readable name, for messages
	Command  string // without the slash: "waarde"
	Args     string // everything after the command word

	// Admin asks the platform whether the user is an admin of the channel,
	// team or workspace. The bot asks only when a command's answer depends
	// on it (closing someone else's poll, changing schedules when admins
	// are configured). Nil: the platform does not say.
	Admin func(context.Context) bool
}

// Status tells how a request went, for exit codes and for adapters that
// show refusals differently.
type Status int

// Statuses of a reply.
const (
	Answered Status = iota // the request was answered
	NotFound               // nothing matched the query; the reply suggests alternatives
	Refused                // the input was refused; the reply says why
)

// Reply is the bot's answer: Markdown text (bold **x**, italics _x_, quotes
// "> ", lists "- "), shown to the whole channel or, when Ephemeral, only to
// the user who asked.
type Reply struct {
	Text      string
	Ephemeral bool
	Status    Status
	Poll      *PollView // the poll the reply is about, for adapters that render polls with buttons
	Thread    bool      // this post starts a thread; replies go in its thread where the platform has threads
	NewPoll   bool      // Poll was just started: it should become its own channel message
}

// PostsPoll reports whether the reply starts a poll that an adapter should
// post as the bot's own message, so that it can redraw it later.
func (r Reply) PostsPoll() bool {
	return r.NewPoll && r.Poll != nil && r.Status == Answered && !r.Ephemeral
}

// RedrawsPoll reports whether the reply may have changed a poll whose own
// message is known (a vote, a close, a result at the deadline), so that an
// adapter should redraw that message. A refusal changed nothing, unless it
// shows that the poll has closed.
func (r Reply) RedrawsPoll() bool {
	return r.Poll != nil && !r.NewPoll && r.Poll.Message != "" && (r.Status == Answered || r.Poll.Closed)
}
