package poll

// Refusal is a request the poll rules refuse, with the catalog key of the
// sentence that tells the user why and its arguments. It wraps a sentinel
// error (ErrClosed, ErrOtherChannel, …) where callers may branch on one.
//
// Arguments are data, not text: an Echo is something the user typed, a
// time.Time a moment; package bot writes them for the user.
type Refusal struct {
	Err  error
	Key  string
	Args []any
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return r.Err.Error() + " (" + r.Key + ")"
	}
	return r.Key
}

func (r *Refusal) Unwrap() error { return r.Err }

// Echo is an argument of a Refusal that repeats what the user typed, to be
// escaped for the reply and shortened to Max runes.
type Echo struct {
	Text string
	Max  int
}

// refuse is a Refusal that wraps err.
func refuse(err error, key string, args ...any) *Refusal {
	return &Refusal{Err: err, Key: key, Args: args}
}

// badInput is a Refusal of poll text or settings.
func badInput(key string, args ...any) *Refusal {
	return refuse(ErrBadInput, key, args...)
}
