"""The Qt binding keeps Python's reference counts across signal emits.

PySide6 6.12.0 drops one reference to ``True``/``None`` on every emit and slot call; after a few
thousand signals (one long review session) the interpreter aborts with ``bool_dealloc``. The
check runs in a child process because the failure is a fatal abort, not an exception.
"""

import subprocess
import sys

CHILD = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])

class Sender(QObject):
    with_value = Signal(object)
    bare = Signal()

class Receiver(QObject):
    def take(self, value):
        return None

    def bare(self):
        return None

sender, receiver = Sender(), Receiver()
sender.with_value.connect(receiver.take)
sender.bare.connect(receiver.bare)
before = sys.getrefcount(True), sys.getrefcount(None)
for _ in range(5000):
    sender.with_value.emit(True)
    sender.bare.emit()
after = sys.getrefcount(True), sys.getrefcount(None)
print(after[0] - before[0], after[1] - before[1])
"""


def test_signal_emits_keep_reference_counts():
    run = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    true_delta, none_delta = (int(n) for n in run.stdout.split())
    assert abs(true_delta) < 50 and abs(none_delta) < 50, run.stdout
