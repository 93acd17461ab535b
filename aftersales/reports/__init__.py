"""Management reports: what the after-sales department reports to the other departments (产品售后服务流程 3.5)."""
