/// The sections of FINDINGS.md: the discussion points of vfio-migration.md section 1.2 (P1-P4) and the disputed
/// points of disputes.md (D1-D8), with the headings and questions those documents give. Models say which they speak
/// to with `point:` and `dispute:` tags in their doc comments (docs/language.md, "Doc comments"); the list is fixed
/// here because the documents are, and the front end checks the tags against `DocTopic`.
public struct FindingsTopic: Sendable, Hashable {
    /// `P1` ... `P4`, `D1` ... `D8`: what a tag names.
    public let id: String
    /// The heading, as the source document writes it.
    public let heading: String
    /// The question the section answers.
    public let question: String

    /// The four discussion points of vfio-migration.md section 1.2, in its order.
    public static let points: [FindingsTopic] = [
        FindingsTopic(id: "P1", heading: "Can a device be stopped while a peer can still DMA into it?",
                      question: "Can a device be stopped while a peer can still DMA into it? (the brief: yes with v1 and one-by-one stopping)"),
        FindingsTopic(id: "P2", heading: "When may SET_IRQS (MSI/MSI-X programming) happen on the destination?",
                      question: "QEMU programs SET_IRQS while the device is in RESUMING (100), after the migration data was written and "
                          + "before the single write 100 -> 001. A proposal requires an interim stopped state (000 -> 100 -> 000 -> 001, "
                          + "SET_IRQS in the second 000), because a device that carries interrupt state in its data would overwrite the "
                          + "host's MSI-X programming when it deserializes on leaving RESUMING; the counter-argument is that the interim "
                          + "state rules out a post-copy state (RESUMING|RUNNING) unless a new bit is added (0000 -> 1100 -> 1000 -> 1001 -> 0001)."),
        FindingsTopic(id: "P3", heading: "Does the uAPI let the migration data be a byte stream or framed segments?",
                      question: "Does the uAPI let the migration data be a byte stream (segmentation not preserved) or framed segments?"),
        FindingsTopic(id: "P4", heading: "Is the state transition synchronous?",
                      question: "Is the state transition synchronous (complete before the call returns)? (the brief: yes, in both versions)"),
    ]

    /// The disputed points D1 ... D8 of disputes.md, headed as there.
    public static let disputes: [FindingsTopic] = [
        FindingsTopic(id: "D1", heading: "When the device loads the migration data (decides the SET_IRQS and post-copy verdicts)",
                      question: "Does the device load its data on leaving RESUMING, as written, or does the stream carry internal state only? "
                          + "And must the user write all data before any other access?"),
        FindingsTopic(id: "D2", heading: "What \"not running\" means for incoming P2P (decides \"no DMA to a stopped peer\" for v1)",
                      question: "Is a device with RUNNING clear frozen (a P2P access into it is the fault), or a quiescent point that still "
                          + "accepts accesses until its data is read (and what must userspace change then)?"),
        FindingsTopic(id: "D3", heading: "Asynchronous state changes (decides \"QEMU's cached state equals the device's\")",
                      question: "Does the state change only through a SET or a reset, or also asynchronously (a reset to RUNNING, a move "
                          + "to ERROR), and does QEMU's cached state then still equal the device's?"),
        FindingsTopic(id: "D4", heading: "What ERROR means",
                      question: "Does a device in ERROR keep doing DMA, and does a SET from ERROR warn, fail with EINVAL or with EIO?"),
        FindingsTopic(id: "D5", heading: "The kernel resolver's loop",
                      question: "Does a request whose path needs a blocked arc loop forever in the shipped resolver, and does the posted "
                          + "fix make it fail instead?"),
        FindingsTopic(id: "D6", heading: "Which accesses userspace may make in each state",
                      question: "Which accesses (MMIO, config, SET_IRQS, mmap) may userspace make in each state, and do QEMU's flows "
                          + "keep to them under each reading of what a stopped device must answer?"),
        FindingsTopic(id: "D7", heading: "The data stream",
                      question: "Do v1 segments survive QEMU's split of a segment that does not fit the region, and does a v2 device "
                          + "survive the destination re-chunking the byte stream?"),
        FindingsTopic(id: "D8", heading: "What the flows ran on",
                      question: "What did QEMU 8.0 and 8.2 actually run (one device, or several with the P2P step), does the complete "
                          + "step run after a stop-handler error, and what of the open points no model covered (dirty tracking, "
                          + "interrupts in the *_P2P states)?"),
    ]
}
