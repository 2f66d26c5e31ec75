import Foundation
@testable import PackedSystem
import Testing

/// The default memory limit: 90% of the smaller of the machine's memory and its memory cgroup's limit, read from
/// `/proc/self/cgroup` and the cgroup files (given here as a dictionary, so that every layout is tested on any
/// machine).
@Suite struct DefaultMemoryLimitTests {
    static let gigabyte = 1 << 30

    @Test func isNinetyPerCentOfTheSmallerOfTheTwo() {
        #expect(DefaultMemoryLimit.limit(physical: 10 * Self.gigabyte, cgroup: nil) == 9 * Self.gigabyte)
        #expect(DefaultMemoryLimit.limit(physical: 10 * Self.gigabyte, cgroup: 20 * Self.gigabyte) == 9 * Self.gigabyte)
        #expect(DefaultMemoryLimit.limit(physical: 10 * Self.gigabyte, cgroup: 1_000_000_000) == 900_000_000)
        #expect(DefaultMemoryLimit.limit(physical: nil, cgroup: 1_000_000_000) == 900_000_000)
        #expect(DefaultMemoryLimit.limit(physical: nil, cgroup: nil) == nil)
    }

    @Test func readsCgroupVersionTwoUpToTheRoot() {
        let files = [
            "/sys/fs/cgroup/user.slice/memory.max": "4294967296\n",
            "/sys/fs/cgroup/user.slice/session-1.scope/memory.max": "max\n",
        ]
        let limit = DefaultMemoryLimit.cgroupLimit(membership: "0::/user.slice/session-1.scope\n") { files[$0] }
        #expect(limit == 4_294_967_296)
    }

    @Test func aContainerSeesItsOwnLimitAtTheRoot() {
        let files = ["/sys/fs/cgroup/memory.max": "536870912\n"]
        #expect(DefaultMemoryLimit.cgroupLimit(membership: "0::/\n") { files[$0] } == 536_870_912)
    }

    @Test func readsCgroupVersionOneWhereTheMemoryControllerIs() {
        let membership = "9:name=systemd:/\n5:cpu,cpuacct:/job\n4:memory:/process_api/job\n0::/\n"
        let files = [
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",  // v1's "no limit"
            "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/memory/process_api/job/memory.limit_in_bytes": "314572800\n",
            "/sys/fs/cgroup/cpu/job/memory.limit_in_bytes": "1",  // not the memory controller's
        ]
        #expect(DefaultMemoryLimit.cgroupLimit(membership: membership) { files[$0] } == 314_572_800)
    }

    @Test func noLimitAnywhereIsNone() {
        let files = [
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712",
            "/sys/fs/cgroup/a/memory.max": "max",
        ]
        #expect(DefaultMemoryLimit.cgroupLimit(membership: "4:memory:/\n0::/a\n") { files[$0] } == nil)
        #expect(DefaultMemoryLimit.cgroupLimit(membership: "") { _ in "1" } == nil)
        #expect(DefaultMemoryLimit.cgroupLimit(membership: "garbage\n0::\n") { files[$0] } == nil)
        #expect(DefaultMemoryLimit.parse("0") == nil)
        #expect(DefaultMemoryLimit.parse("-5") == nil)
        #expect(DefaultMemoryLimit.parse("12 apples") == nil)
    }

    /// On this machine: at most 90% of its physical memory, and exactly that when no cgroup sets less.
    @Test func onThisMachine() throws {
        let physical = try #require(DefaultMemoryLimit.physicalBytes())
        let limit = try #require(DefaultMemoryLimit.bytes())
        #expect(limit <= physical * 9 / 10 + 1)
        #expect(limit > 0)
    }

    /// A stop at the default limit says that it is the default and how to change it; one at the user's limit
    /// reads as it always did.
    @Test func theStopReasonNamesTheDefault() {
        #expect(StopReason.memoryLimit(bytes: 1024).description == "memory limit of 1024 bytes reached")
        #expect(StopReason.memoryLimit(bytes: 1024, byDefault: true).description
                == "memory limit of 1024 bytes reached (the default: 90% of what the machine or its cgroup allows; --max-memory changes it)")
        var budget = EngineBudget(maxMemoryBytes: 1024)
        #expect(budget.memoryStop(1024) == .memoryLimit(bytes: 1024))
        budget.memoryLimitIsDefault = true
        #expect(budget.memoryStop(1024) == .memoryLimit(bytes: 1024, byDefault: true))
        #expect(budget.buildBudget.memoryLimitIsDefault)
    }
}
