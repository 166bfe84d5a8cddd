# %% [markdown]
# # 练习五：提升策略与"如果……会怎样"
#
# 这组练习用第五课的案例数据（`directsales`，某公司 7 个直销团队 2025 年的工作日志）。
# 每道题把答案赋给指定的变量，然后运行下面的 `q1.check()`：
#
# - ✏️ 还没有作答：变量还是 `____`；
# - ❌ 还不对：会告诉你**错在哪里**（比如"你把每个人的达成率取了平均"），但不会告诉你正确的数字；
# - 🔁 换个写法再交：达成率写成了百分数，或者小数位太少（不算对，也不算错）；
# - ✅ 正确。
#
# 检查的标准：比率写成小数，保留至少三位（0.85 表示 85%）；每月多出的客户数保留至少一位小数；金额精确到元。
#
# 卡住了就把 `# q1.hint()` 前面的 `#` 去掉再运行，每运行一次给出下一条提示；`# q1.solution()` 在下一个单元格，
# 同样去掉 `#` 再运行，显示参考答案。

# %%
# 答题时要用到的模块。学员版只用 ____ 占位，所以不检查“未使用的导入”。
import devvolume as dv
from devvolume.teach.exercises import ____, lesson05, sign_in  # noqa: F401, RUF100

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = dv.load_dataset("directsales")
baseline = dv.teach.baseline_from_worklog(data.worklog, targets=data.targets,
                                          model=dv.sim.CASES["directsales"].model)
q1, q2, q3, q4 = lesson05.QUESTIONS
print(f"现状：每月新成交客户 {baseline.won_per_month:.1f}，每月目标 {baseline.target_per_month:.1f}")

# %% [markdown]
# ## 第 1 题　全公司全年的目标达成率
#
# 全公司 2025 年全年的新客户目标达成率是多少？（新成交客户 ÷ 目标，写成小数，如 0.85）
#
# 目标在 `data.targets` 里（每人每月一行，`target` 列）；`dv.attainment(data.worklog, data.targets)`
# 给出每人每月的目标 `target` 和实际新成交客户 `actual`。

# %% tags=["solution"]
attained = dv.attainment(data.worklog, data.targets)
attainment_2025 = attained["actual"].sum() / attained["target"].sum()

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题　培训能多带来几个客户？
#
# 把"培训"开到 100%、其他策略不做，全公司每月能**比现状多**多少个新成交客户？（保留至少一位小数）
#
# 用 `dv.teach.project_strategies(baseline, training=1.0)`，它返回的对象有 `.won`（方案下每月新成交客户）。

# %% tags=["solution"]
extra_won_training = dv.teach.project_strategies(baseline, training=1.0).won - baseline.won_per_month

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题　四种策略一起上
#
# 四种策略（精准定位 `targeting`、优化流程 `process`、培训 `training`、数字营销 `digital`）**同时**开到 100%，
# 全公司每月比现状多多少个新成交客户？（保留至少一位小数）

# %% tags=["solution"]
extra_won_all = dv.teach.project_strategies(baseline, targeting=1.0, process=1.0, training=1.0,
                                            digital=1.0).won - baseline.won_per_month

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()

# %% [markdown]
# ## 第 4 题　数字营销划算吗？
#
# 只把"数字营销"开到 100%，每月的**净收益**是多少元？
# 净收益 = 新增客户价值 − 每月运行成本 − 一次性投入按 12 个月摊销。
#
# 方案对象里有 `extra_value_per_month`、`monthly_cost` 和 `setup_cost`。

# %% tags=["solution"]
net_digital = dv.teach.project_strategies(baseline, digital=1.0).net_value_per_month

# %%
q4.check()

# %%
# q4.hint()

# %%
# q4.solution()
