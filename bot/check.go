package bot

// A Check is one line of `waardenbot check`: something a running bot needs
// from its configuration, its files or a platform, whether it holds, and
// when it does not, what an operator must do. Each adapter reports its own
// with a Check method that changes nothing on the platform; the command
// only runs them and prints the lines.
type Check struct {
	Name   string `json:"name"`          // what was checked: "Slack bot token"
	OK     bool   `json:"ok"`            // whether it holds
	Detail string `json:"detail"`        // what was found
	Fix    string `json:"fix,omitempty"` // what to do, when it does not hold
}

// Passed is a check that holds.
func Passed(name, detail string) Check { return Check{Name: name, OK: true, Detail: detail} }

// Failed is a check that does not hold, with what to do.
func Failed(name, detail, fix string) Check {
	return Check{Name: name, Detail: detail, Fix: fix}
}
