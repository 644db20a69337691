package provider

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnFreshStackReturnsWhatItRan(t *testing.T) {
	t.Parallel()
	v, err := onFreshStack(func() (int, error) { return 7, nil })
	assert.Equal(t, 7, v)
	assert.NoError(t, err)

	boom := errors.New("boom")
	_, err = onFreshStack(func() (int, error) { return 0, boom })
	assert.Same(t, boom, err)

	assert.PanicsWithValue(t, "bad", func() { _, _ = onFreshStack(func() (int, error) { panic("bad") }) },
		"a panic reaches the caller, as if it had run there")
}
