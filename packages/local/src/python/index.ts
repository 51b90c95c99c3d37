export { PythonEnvironmentError, pythonEnvironmentFor, REQUIREMENTS_FILE } from './python-environment';
