"""The survey of departments: answer workbooks out, answers in, and the next round's table."""
