#!/usr/bin/env python3
# seed-dashboard.py: the design proposal's example, in Python.
#
# Two sliders in the sidebar; three sections that each load (1 s) and
# transform (1 s) before showing a metric and a chart. Run one after another
# they would take 6 s; as parallel fragments the dashboard is complete in
# about 2 s, because run.wait() (like Tessera.load() and Tessera.query())
# releases the interpreter lock while it waits. Moving "Months" reruns only
# user growth; moving "Price" reruns revenue and expenses, together.
#
#   python3 examples/seed-dashboard.py [--headless --timeline=t.json]
import math
import sys

import gi

gi.require_version('Tessera', '1')
from gi.repository import Tessera  # noqa: E402


def monthly_frame(name, months, start, growth):
    values = [round(start * math.pow(1 + growth, i)) for i in range(months)]
    columns = [Tessera.Column.new_double('month', [float(i + 1) for i in range(months)]),
               Tessera.Column.new_double(name, values)]
    return Tessera.Frame.new(columns)


def load_and_transform(run):
    """A pretend load followed by a pretend transform, as in the proposal."""
    run.set_status('Loading…')
    if not run.wait(1.0):
        return False
    run.set_status('Transforming…')
    return run.wait(1.0)


def show_series(run, name, frame, label, unit):
    values = [frame.get_column_by_name(name).get_double(row) for row in range(frame.get_n_rows())]
    last, before = values[-1], values[-2] if len(values) > 1 else values[-1]
    change = 100 * (last - before) / before if before else 0
    run.metric(label, '%.0f%s' % (last, unit), '%+.1f%%' % change)
    run.line_chart(frame, 'month', [name], None)


@Tessera.fragment(parallel=True)
def user_growth(run):
    months = int(run.input_get_double(run.input_lookup('months')))
    run.subheader('User growth')
    if load_and_transform(run):
        show_series(run, 'users', monthly_frame('users', months, 1000, 0.08), 'Users', '')


@Tessera.fragment(parallel=True)
def revenue(run):
    price = run.input_get_double(run.input_lookup('price'))
    run.subheader('Revenue')
    if load_and_transform(run):
        show_series(run, 'revenue', monthly_frame('revenue', 12, 1000 * price, 0.05), 'Revenue', ' €')


@Tessera.fragment(parallel=True)
def expenses(run):
    price = run.input_get_double(run.input_lookup('price'))
    run.subheader('Expenses')
    if load_and_transform(run):
        show_series(run, 'expenses', monthly_frame('expenses', 12, 400 * price + 5000, 0.02), 'Expenses', ' €')


def dashboard(run):
    run.title('Parallel fragments')
    with run.sidebar():
        # Declared here, read only by the sections that need them: each
        # slider reruns exactly the fragments that read it.
        run.declare(Tessera.InputKind.SLIDER, 'Months', min=1, max=36, value=12, key='months')
        run.declare(Tessera.InputKind.SLIDER, 'Price', min=1, max=100, value=20, key='price')
    user_growth(run)
    revenue(run)
    expenses(run)


if __name__ == '__main__':
    sys.exit(Tessera.app_run('org.example.SeedDashboard', dashboard, name='Seed dashboard', version='1.0'))
