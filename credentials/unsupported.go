package credentials

// Unsupported is the Store for platforms without a usable secret store: it
// keeps nothing and every call says so with ErrUnsupported.
type Unsupported struct{}

// Get implements Store.
func (Unsupported) Get(string) (string, error) { return "", ErrUnsupported }

// Set implements Store.
func (Unsupported) Set(string, string) error { return ErrUnsupported }

// Delete implements Store.
func (Unsupported) Delete(string) error { return ErrUnsupported }
