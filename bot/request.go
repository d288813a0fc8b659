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
	Changed   bool      // the request changed Poll in the store: a vote stored or withdrawn, the poll closed, a correction, an added value

	// Form, when set, is a form that asks for what the command lacks
	// (/casus without text): an adapter that can show forms opens it and
	// shows nothing else; elsewhere Text says how to type the command.
	Form *Form

	// Files go with the reply, after its text: a chart, a CSV, a
	// document. An adapter only uploads them, where the reply goes (to
	// the asker alone when Ephemeral, in a direct message where the
	// platform cannot attach files to a private reply). The text never
	// depends on them: when an upload fails, the text still goes out,
	// and the adapter tells the asker which file did not.
	Files []File
}

// File is a file a reply carries, made by the bot (package bot/export).
type File struct {
	Name  string // "peiling-ab3k-grafiek.png": what to call it on the platform or the disk
	Type  string // its media type: "image/png", "text/csv; charset=utf-8", …
	Title string // what it is, for the platform's file title
	Alt   string // for an image: everything it shows, for screen readers
	Data  []byte
}

// PostsPoll reports whether the reply starts a poll that an adapter should
// post as the bot's own message, so that it can redraw it later.
func (r Reply) PostsPoll() bool {
	return r.NewPoll && r.Poll != nil && r.Status == Answered && !r.Ephemeral
}

// ChangesPoll reports whether a message that shows the reply's poll is out
// of date after the request: the request changed the poll (Changed: a
// vote stored or withdrawn, a close, a result at the deadline), or the
// poll has closed, so that the message must lose its buttons even though
// this request changed nothing (a vote refused at the deadline, a click on
// a closed poll's leftover button). A refusal, a vote the same as the one
// that counted already, and an answer that only reads the poll (/uitslag
// of an open poll) change nothing. An adapter that knows the message from
// the request itself (the clicked message) redraws it when this is true.
func (r Reply) ChangesPoll() bool {
	return r.Poll != nil && (r.Changed || r.Poll.Closed)
}

// RedrawsPoll reports whether the reply changed a poll whose own message
// is known (see ChangesPoll), so that an adapter should redraw that
// message after a typed command or a deadline. A new poll is posted, not
// redrawn.
func (r Reply) RedrawsPoll() bool {
	return r.ChangesPoll() && !r.NewPoll && r.Poll.Message != ""
}
