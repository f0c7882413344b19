// Runs the participatory-budget suite on the embedded database.
import { budgetsSuite } from './budgets.suite';

budgetsSuite('pglite');
