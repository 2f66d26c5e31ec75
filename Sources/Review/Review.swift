// The reviewer's workflow: compare models, replay observed traces, export automata.
